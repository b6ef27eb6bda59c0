# Manual pages: installed by `make install`, shipped by `make dist`.
dist_man_MANS += \
	man/cachet.1 \
	man/cachet.cfg.5 \
	man/cachetd.8 \
	man/libcachet.3 \
	man/libcachet-xen.7
