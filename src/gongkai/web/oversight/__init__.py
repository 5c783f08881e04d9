"""The supervisor's desk (督查): reports filed upward, collected, reviewed, overseen by region and year."""
