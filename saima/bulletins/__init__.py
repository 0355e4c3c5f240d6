"""Quarterly bulletins (季通报) and annual commendations (年表彰) as official documents."""
