"""The scenario language: schema, safe loading, merging and validation."""

from sim.scenario.loader import LoadedScenario, load_scenario, read_scenario, scenario_hash
from sim.scenario.schema import Scenario

__all__ = ["LoadedScenario", "Scenario", "load_scenario", "read_scenario", "scenario_hash"]
