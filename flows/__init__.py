"""Business procedures that read like the documented click lists."""
