"""Model families, one folder each: a family's registry entries, builders, data and task.

A folder here is found by ``kerazoo.registry.import_family_modules`` (never
imported by name): its ``entries`` module registers models (light: builders
are ``"module:function"`` strings), its ``data*`` modules data sets and its
``task*`` modules tasks. Shared pieces stay below: ``kerazoo.models`` (the
generic recurrent builders), ``kerazoo.layers``, ``kerazoo.data`` (the image
reader, the text codec, batches) and ``kerazoo.tasks``.
"""
