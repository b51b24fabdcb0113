// A consumer of rtnotify::rooms: a filter matched against a document.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rooms.hpp>

#include <boost/json/parse.hpp>

int main()
{
    auto f = rtnotify::rooms::parse_filter(boost::json::parse(R"({"regexp":{"name":"^rt"}})"));
    if(!f)
        return 1;
    return rtnotify::rooms::evaluate(*f, boost::json::parse(R"({"name":"rtnotify"})").as_object()) ? 0 : 1;
}
