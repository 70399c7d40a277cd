"""People: the founder and staff as Mesa agents, their weekly work, hiring and payroll."""
