# shellcheck shell=bash
# Sourced by the benchmarks that time Cachet's own programs: the path of a
# program itself, not of libtool's wrapper script (a shell start per run
# would be measured too: some 12 ms per `cachet` command, more on a loaded
# host), with the libraries taken from the build tree.
top_builddir=${top_builddir:-.}
export LD_LIBRARY_PATH=$top_builddir/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}

# bench_bin DIR NAME: the program NAME built in DIR of the build tree.
bench_bin() {
	if [[ -x $top_builddir/$1/.libs/$2 ]]; then
		echo "$top_builddir/$1/.libs/$2"
	else
		echo "$top_builddir/$1/$2"
	fi
}
