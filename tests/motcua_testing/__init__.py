"""Test support: real infrastructure fixtures, process control, waiting without sleeping blindly."""
