"""idcard family."""
