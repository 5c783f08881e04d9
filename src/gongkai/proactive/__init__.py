"""Proactive disclosure (主动公开): the pure core of the register.

`catalogue` declares the grassroots standard catalogue's areas, the channels and the item kinds
once, as data, with each agency's selection; `index_number` makes 索引号 from a configurable rule;
`register` counts table 二 from the register, derives the Art. 26 due dates and drafts part 一's
proactive paragraph; `demo` makes a seeded demo register. No web framework, no I/O.
"""
