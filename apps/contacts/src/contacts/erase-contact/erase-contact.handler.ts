import { Injectable } from '@nestjs/common';
import { eraseContact, RpcRequest } from '@crm/contracts';
import { OnRpc, RpcCallContext } from '@crm/messaging';
import { tenantOf } from '../../shared/tenant';
import { EraseContactService } from './erase-contact.service';

@Injectable()
export class EraseContactHandler {
  constructor(private readonly service: EraseContactService) {}

  @OnRpc(eraseContact)
  handle(request: RpcRequest<typeof eraseContact>, context: RpcCallContext) {
    return this.service.erase(tenantOf(context), request);
  }
}
