/* idle-slow: the idle guest with a heartbeat a second (see idle.c). */
#define IDLE_NAME "idle-slow"
#define IDLE_BEAT_MS 1000
#include "idle.c"
