"""printer family."""
