"""Running the programme: enrol the plan's sites, publish each day, curtail, settle.

The flow, one module each::

    plan folder ─► enroll (program, VEN clients, ven and resource objects on the VTN)
    dataset + fleet ─► schedule (48-hour dispatch, demand first) ─► day-ahead events
    grid short ─► curtail (real-time events above the schedule)
    sites (simulate) ─► USAGE reports ─► audit (append-only log) ─► settle (bills)

Which event binds a site at each minute is decided once, in :mod:`.timeline`, and used by the
simulated sites and by settlement alike. The server is reached only through
:mod:`.vtn_client`, with business-logic (BL) credentials, like any other client.
"""
