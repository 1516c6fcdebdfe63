"""The captcha family."""
