// Boost.JSON and Boost.URL compiled into the fuzz build (instead of linking
// Debian's libraries) so their parsers are instrumented too: coverage inside
// them guides the fuzzer towards inputs that reach our code.
#include <boost/json/src.hpp>
#include <boost/url/src.hpp>
