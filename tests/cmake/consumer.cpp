// A consumer of the installed, vendored or fetched library: it includes the
// umbrella header and exercises one call, so a broken package fails to build
// or returns non-zero.
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/rtnotify.hpp>

#include <iostream>

int main()
{
    auto const doc = rtnotify::smartrest::decode("100,\"a \"\"b\"\"\"\n");
    if(!doc || doc->size() != 1 || (*doc)[0][1] != "a \"b\"")
    {
        std::cerr << "unexpected decode result\n";
        return 1;
    }
    auto const bad = rtnotify::smartrest::decode("\"open");
    if(bad || bad.error().code != rtnotify::condition::parse_error)
    {
        std::cerr << "unexpected decode error\n";
        return 1;
    }
    std::cout << "rtnotify consumer ok\n";
    return 0;
}
