"""The web console: the caseload, each alert, the quarantine and the outbox, for the people who run
the process day to day. Server-rendered pages over the same store and workflow the service uses;
every action goes through ``decide`` as an event with who, when and why."""
