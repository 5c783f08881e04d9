"""The annual report from records: table 二 figures, tables 三 and 四 counted from the requests,
checked by the core, exported, and frozen when published."""
