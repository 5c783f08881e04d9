"""Everything public: the online application, tracking a request by its code, and the per-address
limits that keep both proportionate. No account, no personal data on any page."""
