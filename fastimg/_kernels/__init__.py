"""Jitted cores only: arrays and scalars in, ``out`` last; loops, no validation."""
