package io.parley.engagement;

/** Where an engagement is in its life: waiting in a queue, served by an agent, or over. */
public enum EngagementState { QUEUED, ACTIVE, CONCLUDED }
