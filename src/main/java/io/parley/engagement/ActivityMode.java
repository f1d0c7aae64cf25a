package io.parley.engagement;

/** What a participant is doing, as typing indicators show it. */
public enum ActivityMode { NONE, AWAY, LISTENING, RESEARCHING, RESPONDING }
