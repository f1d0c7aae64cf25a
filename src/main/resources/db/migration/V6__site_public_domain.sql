-- Where clients of a site reach Parley (host[:port][/path]), for sites that live on hosts of their
-- own. NULL: the server's publicDomain, or an allowed Host of the request, decides.
ALTER TABLE site ADD COLUMN public_domain VARCHAR(300);
