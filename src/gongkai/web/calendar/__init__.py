"""The working-day calendar: the national holiday data with the editable table's overrides, which
every clock counts over (the request's answer clock; soon the proactive register's Art. 26 clock)."""
