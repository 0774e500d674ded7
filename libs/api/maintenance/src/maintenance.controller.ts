import { Body, Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AvailableInMaintenance, PlatformOnly, Public, UuidParam } from '@tenantry/api-core';
import type { MaintenanceStatus, MaintenanceWindow } from '@tenantry/contracts';
import { MaintenanceSwitchDto, MaintenanceWindowDto } from './dto/maintenance.dto.js';
import { MaintenanceService } from './maintenance.service.js';

@ApiTags('maintenance')
@Controller()
export class MaintenanceController {
  constructor(private readonly maintenance: MaintenanceService) {}

  /** Whether the platform is in maintenance now, until when, and the planned windows (public: the SPA polls it). */
  @Public()
  @AvailableInMaintenance()
  @Get('maintenance')
  status(): Promise<MaintenanceStatus> {
    return this.maintenance.status();
  }

  /** The operator's switch: on with a message (and optional end), or off. */
  @Put('platform/maintenance')
  @ApiBearerAuth()
  @PlatformOnly()
  setSwitch(@Body() dto: MaintenanceSwitchDto): Promise<MaintenanceStatus> {
    return this.maintenance.setSwitch(dto);
  }

  @Get('platform/maintenance/windows')
  @ApiBearerAuth()
  @PlatformOnly()
  windows(): Promise<MaintenanceWindow[]> {
    return this.maintenance.windows();
  }

  /** A weekly window (its start and end run as BullMQ jobs; admins are mailed a day before each). */
  @Post('platform/maintenance/windows')
  @ApiBearerAuth()
  @PlatformOnly()
  addWindow(@Body() dto: MaintenanceWindowDto): Promise<MaintenanceWindow> {
    const [hours, minutes] = dto.startTime.split(':').map(Number);
    return this.maintenance.addWindow({
      dayOfWeek: dto.dayOfWeek,
      startMinute: hours * 60 + minutes,
      durationMinutes: dto.durationMinutes,
      timeZone: dto.timeZone,
      message: dto.message ?? null,
    });
  }

  @Delete('platform/maintenance/windows/:id')
  @HttpCode(204)
  @ApiBearerAuth()
  @PlatformOnly()
  removeWindow(@UuidParam() id: string): Promise<void> {
    return this.maintenance.removeWindow(id);
  }
}
