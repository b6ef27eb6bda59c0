# cachet.test=tlb (sourced by /init): tlbcheck (tlbcheck.c) over every
# ordered pair of online CPUs, both ways, cachet.rounds=N times each
# (default 25); its TLBCHECK line says whether a stale writable
# translation survived an mprotect on some CPU.
rounds=$(cachet_param rounds)
tlbcheck "${rounds:-25}"
