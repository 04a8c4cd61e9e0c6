// `ysctl series` against a real yingshangd (filled in below).
#include "gtest/gtest.h"
