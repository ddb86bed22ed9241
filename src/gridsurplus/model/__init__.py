"""The model stage: the dispatch and siting linear program, built with linopy, solved with HiGHS.

- :mod:`~gridsurplus.model.inputs`: :class:`ModelInputs` from a dataset and its profiles;
- :mod:`~gridsurplus.model.build`: the linopy recipe, one ``add_*`` function per block;
- :mod:`~gridsurplus.model.solve`: solve and read the solution (prices are the duals);
- :mod:`~gridsurplus.model.decompose`: the same optimum month by month (Benders);
- :mod:`~gridsurplus.model.pypsa`: the same problem as a PyPSA network;
- :mod:`~gridsurplus.model.examples`: tiny inputs solvable by hand, for tests and docs.

Nothing heavy is imported here: linopy, HiGHS and PyPSA load when a model is built.
"""
