"""What a growth strategy decides: staffing rules, launches, reorders and ads."""
