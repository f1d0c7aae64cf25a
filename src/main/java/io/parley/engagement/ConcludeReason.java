package io.parley.engagement;

/** Why an engagement ended. */
public enum ConcludeReason { END_USER_CONCLUDED, AGENT_CONCLUDED, QUEUE_TIMEOUT }
