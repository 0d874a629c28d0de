"""Find, install and launch a browser; the supervision overlay."""
