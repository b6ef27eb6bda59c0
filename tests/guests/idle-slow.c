/* idle-slow: the idle guest with a heartbeat a second, woken by its timer (see idle.c). */
#define IDLE_NAME "idle-slow"
#define IDLE_BEAT_MS 1000
#define IDLE_WAKE_BY_TIMER
#include "idle.c"
