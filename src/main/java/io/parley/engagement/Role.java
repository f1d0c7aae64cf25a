package io.parley.engagement;

/** A participant's role: the end user, the lead agent, a conferee, or a supervisor monitoring. */
public enum Role { END_USER, LEAD, CONFEREE, MONITOR }
