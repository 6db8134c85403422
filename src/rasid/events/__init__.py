"""Events: who did what to whom, where and when, in the PLOVER ontology.

``extract`` codes sentences into event records (the ``events`` stage), ``lexicon`` holds
the tables. Sources and licences of the tables: ``data/README.md``.
"""
