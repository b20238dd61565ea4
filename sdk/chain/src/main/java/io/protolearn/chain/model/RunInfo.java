package io.protolearn.chain.model;

/** A run's status and wiring (RunManager.runInfo). */
public record RunInfo(
    String shares,
    String governance,
    String creator,
    int stageCount,
    long maxStepsPerRound,
    boolean paused,
    boolean halted,
    long haltedFromRound,
    long paramsVersions) {}
