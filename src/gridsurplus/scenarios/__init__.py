"""How robust a plan is: many plans over what we do not know, on Dask.

- :mod:`~gridsurplus.scenarios.spec`: the scenario file (distributions, units, sources);
- :mod:`~gridsurplus.scenarios.sample`: seeded draws, correlations, grids;
- :mod:`~gridsurplus.scenarios.appliers`: one small function per uncertain input;
- :mod:`~gridsurplus.scenarios.evaluate`: one scenario's plan and summary row;
- :mod:`~gridsurplus.scenarios.store`: results per scenario, written atomically;
- :mod:`~gridsurplus.scenarios.runner`: the sweep on Dask, with its progress line;
- :mod:`~gridsurplus.scenarios.analysis` and :mod:`~gridsurplus.scenarios.report`: what the
  results say, as tables and an offline HTML page.

Nothing here is imported by ``import gridsurplus``; Dask is imported only by the runner.
"""
