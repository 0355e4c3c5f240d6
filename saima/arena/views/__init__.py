"""The arena pages (the host console and the projector board live in ``saima.arena.live``),
one module per concern: ``setup`` (lists, a contest's setup page and its parts, the order),
``steps`` (the setup page's and console's buttons), ``pledges`` (a contestant's page and its
pledges), ``links`` (judges' links and the QR sheet), ``judging`` (the judge's page) and
``results``; the contest lookups they share are in ``common``.

Each view authorises, validates a form, calls one service and renders. Someone who may not see
a contest gets 404 (its existence is not revealed); someone who may see it but not act, 403.
"""
