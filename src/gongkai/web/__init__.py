"""The disclosure desk (依申请公开 登记、办理、答复、归档) as a Django project over the pure core.

Core logic (clock, tally, checks, writers) stays in the core; this package stores records,
scopes them by one permission function and writes every change through a service function
that also writes the audit log.
"""
