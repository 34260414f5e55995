"""Monthly target reports for leadership (built in a later issue)."""
