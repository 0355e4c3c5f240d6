"""Nothing of the conduct app is in the Django admin, by decision.

Every read of a clue must be audited and every change must go through a service with its
audit event; the admin does neither. Superusers use the app's own pages, which do both.
"""
