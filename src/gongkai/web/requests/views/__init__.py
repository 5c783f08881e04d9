"""The request app's pages: thin views over `selectors` (reads) and `services` (writes).

No view computes a due date or a letter itself, and none writes a model.
"""
