"""Công vụ — the public-service inspection system (hệ thống kiểm tra công vụ)."""
