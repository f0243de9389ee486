module clusterjsonreference

go 1.19
