"""The desk's pages: thin views over `selectors` (reads) and `services` (writes).

No view computes a due date, a report cell or a letter itself, and none writes a model.
"""
