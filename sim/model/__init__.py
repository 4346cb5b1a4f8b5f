"""The escalation-perception model: pure maths, the turn engine, the Mesa host."""
