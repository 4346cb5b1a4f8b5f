"""The ``sim`` commands, one module per command group.

Each module has ``add(sub)``, which adds its command's parser to the
sub-parsers and sets ``handler``: a function ``(args, argv) -> exit status``
that arranges calls to running and outputs and prints what happened. A
command draws and writes nothing itself. :mod:`sim.cli.main` adds them in
:data:`COMMANDS` order (the order ``sim --help`` lists them).
"""
