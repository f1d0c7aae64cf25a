package io.parley.admin;

/**
 * What the admin changes need from elsewhere: hashing passwords and dropping caches. A change takes
 * effect without a restart: the caches of this node are dropped at once, other nodes' within their
 * refresh interval ({@code tenants.cacheSeconds}).
 */
public interface AdminHooks {
    String hashPassword(char[] password);

    /** Sites, queues, rules or agents changed. */
    void tenantsChanged();

    /** The denied-party list changed. */
    void deniedPartiesChanged();
}
