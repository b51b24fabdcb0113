// A consumer of the installed, vendored or fetched library: it includes the
// umbrella header and exercises one call, so a broken package fails to build
// or returns non-zero.
#include <rtnotify/rtnotify.hpp>

#include <iostream>

int main()
{
    auto const cond = rtnotify::make_error_condition(rtnotify::condition::limit_exceeded);
    if(cond.message() != "limit exceeded")
    {
        std::cerr << "unexpected message: " << cond.message() << "\n";
        return 1;
    }
    std::cout << "rtnotify consumer ok\n";
    return 0;
}
