"""Built-in data: fonts, incident playbooks, reporting-deadline rules."""
