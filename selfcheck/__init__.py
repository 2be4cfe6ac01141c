"""selfcheck: offline self-inspection and incident response for small Japanese local-government bodies."""

__version__ = "0.1.0"
