"""Customer 360 Graph: command line, settings, jobs and the process supervisor."""
