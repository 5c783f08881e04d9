"""依申请公开: requests, their events, attachments, clocks, letters and appeals, and the staff pages
that register and handle them."""
