// The settings of jemalloc, the allocator tug links with (README, "Design").
//
// The API's objects are trees of small nodes (nlohmann::json) that every watch event, list and
// write builds and frees again; glibc's allocator spent a quarter of the scheduler's CPU on
// them, merging freed chunks. jemalloc serves that churn from per-thread caches. What is set
// here keeps its memory near glibc's: one arena (a server on a small device has few cores),
// small per-thread caches (a server has a thread per open watch), and freed pages returned to
// the system after a second.
//
// jemalloc reads this when it starts; MALLOC_CONF in the environment overrides any of it.
extern "C" {
extern const char* malloc_conf;
const char* malloc_conf =
    "narenas:1,tcache_max:1024,tcache_nslots_small_max:32,dirty_decay_ms:1000,muzzy_decay_ms:0";
}
