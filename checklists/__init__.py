"""Built-in checklist data: question bank (bank/) and body profiles (bodies/)."""
