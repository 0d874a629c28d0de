"""The run folder: steps, screenshots, files and hashes, report, audit chain."""
